namespace CmlCds.Clinical.Therapy;

/// <summary>The BCR::ABL1 tyrosine kinase inhibitors (clinical specification §1, ATC L01EA01–06).</summary>
public enum Tki { Imatinib, Dasatinib, Nilotinib, Bosutinib, Ponatinib, Asciminib }

public static class TkiNames
{
    public static string Name(Tki tki) => tki switch
    {
        Tki.Imatinib => "imatinib",
        Tki.Dasatinib => "dasatinib",
        Tki.Nilotinib => "nilotinib",
        Tki.Bosutinib => "bosutinib",
        Tki.Ponatinib => "ponatinib",
        Tki.Asciminib => "asciminib",
        _ => throw new ArgumentOutOfRangeException(nameof(tki)),
    };
}
